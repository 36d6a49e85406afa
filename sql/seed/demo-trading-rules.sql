-- An invented price list, sizes 5k–200k for every account type. Percentages are of the starting balance.
--
-- Seed data for the development run, the tests, the drills and the bench, never a migration: production prices are
-- not invented. Loaded by src/LocalDev/Seed/DemoTradingRules.cs, again at every dev start: a size already on the list
-- keeps its row, and NOT EXISTS (rather than ON CONFLICT alone) keeps the identity from being spent on every load.
INSERT INTO trading_rules (account_type, account_size, price, profit_target_phase_1, profit_target_phase_2,
                           max_daily_drawdown, max_total_drawdown, min_trading_days, profit_split, leverage)
SELECT v.*
  FROM (VALUES
        ('instant', 5000, 99.00, NULL, NULL, 3, 6, 0, 70, '1:30'),
        ('instant', 10000, 179.00, NULL, NULL, 3, 6, 0, 70, '1:30'),
        ('instant', 25000, 349.00, NULL, NULL, 3, 6, 0, 70, '1:30'),
        ('instant', 50000, 549.00, NULL, NULL, 3, 6, 0, 70, '1:30'),
        ('instant', 100000, 899.00, NULL, NULL, 3, 6, 0, 70, '1:30'),
        ('instant', 200000, 1699.00, NULL, NULL, 3, 6, 0, 70, '1:30'),
        ('one_step', 5000, 59.00, 10, NULL, 4, 6, 3, 80, '1:100'),
        ('one_step', 10000, 99.00, 10, NULL, 4, 6, 3, 80, '1:100'),
        ('one_step', 25000, 199.00, 10, NULL, 4, 6, 3, 80, '1:100'),
        ('one_step', 50000, 299.00, 10, NULL, 4, 6, 3, 80, '1:100'),
        ('one_step', 100000, 499.00, 10, NULL, 4, 6, 3, 80, '1:100'),
        ('one_step', 200000, 949.00, 10, NULL, 4, 6, 3, 80, '1:100'),
        ('two_step', 5000, 49.00, 8, 5, 5, 10, 4, 80, '1:100'),
        ('two_step', 10000, 89.00, 8, 5, 5, 10, 4, 80, '1:100'),
        ('two_step', 25000, 179.00, 8, 5, 5, 10, 4, 80, '1:100'),
        ('two_step', 50000, 269.00, 8, 5, 5, 10, 4, 80, '1:100'),
        ('two_step', 100000, 449.00, 8, 5, 5, 10, 4, 80, '1:100'),
        ('two_step', 200000, 849.00, 8, 5, 5, 10, 4, 80, '1:100'),
        ('hft', 5000, 69.00, 8, NULL, 5, 10, 0, 80, '1:100'),
        ('hft', 10000, 119.00, 8, NULL, 5, 10, 0, 80, '1:100'),
        ('hft', 25000, 239.00, 8, NULL, 5, 10, 0, 80, '1:100'),
        ('hft', 50000, 349.00, 8, NULL, 5, 10, 0, 80, '1:100'),
        ('hft', 100000, 579.00, 8, NULL, 5, 10, 0, 80, '1:100'),
        ('hft', 200000, 1099.00, 8, NULL, 5, 10, 0, 80, '1:100')
       ) AS v (account_type, account_size, price, profit_target_phase_1, profit_target_phase_2,
               max_daily_drawdown, max_total_drawdown, min_trading_days, profit_split, leverage)
 WHERE NOT EXISTS (SELECT 1 FROM trading_rules r WHERE r.account_type = v.account_type AND r.account_size = v.account_size)
ON CONFLICT (account_type, account_size) DO NOTHING;
