-- The customer's own profile (GET/PATCH /me). Every field optional; the API role may change only these columns of
-- its own row (users_update policy).
ALTER TABLE users
    ADD COLUMN first_name        text CHECK (length(first_name) BETWEEN 1 AND 100),
    ADD COLUMN last_name         text CHECK (length(last_name) BETWEEN 1 AND 100),
    ADD COLUMN phone             text CHECK (phone ~ '^\+?[0-9 ()-]{5,32}$'),
    ADD COLUMN country           text CHECK (country ~ '^[A-Z]{2}$'),
    ADD COLUMN marketing_consent boolean NOT NULL DEFAULT false;

GRANT UPDATE (first_name, last_name, phone, country, marketing_consent) ON users TO flashfundx_api;
