using System.Buffers.Binary;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FlashFundX.Data.Credentials;

/// <summary>
/// Encrypts trading-account passwords with AES-256-GCM. The associated data binds a ciphertext to its account and field
/// (see <see cref="AssociatedData"/>), so a ciphertext copied onto another row or column fails to decrypt.
/// Holds no plaintext and never logs.
/// </summary>
public sealed class CredentialProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const string AssociatedDataLabel = "ffx-credential-v2";

    private readonly string _currentKeyId;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public CredentialProtector(IOptions<CredentialsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), errors, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                CredentialsOptions.SectionName, typeof(CredentialsOptions), errors.Select(e => e.ErrorMessage ?? "invalid"));
        }
        foreach (var (keyId, key) in value.PreviousKeys)
        {
            _keys[keyId] = Decode(key);
        }
        _currentKeyId = value.KeyId;
        _keys[_currentKeyId] = Decode(value.EncryptionKey);
    }

    public string CurrentKeyId => _currentKeyId;

    public const string PasswordField = "password";

    public const string InvestorPasswordField = "investor_password";

    /// <summary>
    /// The associated data of one credential field of an inventory account: a version label, then each part as its
    /// UTF-8 length (4 bytes, big-endian) and bytes. Length-prefixed, two different (platform, server, login, field)
    /// never give the same bytes, whatever characters they hold (joined with a separator, <c>a|b</c> + <c>c</c> and
    /// <c>a</c> + <c>b|c</c> would). UTF-8 as PostgreSQL stores the row's text, so the bytes follow the stored values.
    /// </summary>
    public static byte[] AssociatedData(string platform, string server, string login, string field)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(field);
        var encoded = new[] { AssociatedDataLabel, platform, server, login, field }.Select(Encoding.UTF8.GetBytes).ToArray();
        var output = new byte[encoded.Sum(e => sizeof(int) + e.Length)];
        var offset = 0;
        foreach (var bytes in encoded)
        {
            BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(offset), bytes.Length);
            bytes.CopyTo(output.AsSpan(offset + sizeof(int)));
            offset += sizeof(int) + bytes.Length;
        }
        return output;
    }

    /// <summary>Both passwords of an inventory account, each checked against its own row and field.</summary>
    /// <exception cref="CryptographicException">As <see cref="Unprotect"/>.</exception>
    public (string Password, string InvestorPassword) UnprotectAccount(
        string platform, string server, string login, string keyId, byte[] passwordCiphertext, byte[] investorPasswordCiphertext) =>
        (Unprotect(new ProtectedSecret(passwordCiphertext, keyId), AssociatedData(platform, server, login, PasswordField)),
         Unprotect(new ProtectedSecret(investorPasswordCiphertext, keyId), AssociatedData(platform, server, login, InvestorPasswordField)));

    public ProtectedSecret Protect(string plaintext, byte[] associatedData)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(associatedData);
        var plainBytes = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + plainBytes.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_keys[_currentKeyId], TagSize))
        {
            aes.Encrypt(nonce, plainBytes, output.AsSpan(NonceSize, plainBytes.Length), output.AsSpan(NonceSize + plainBytes.Length), associatedData);
        }
        CryptographicOperations.ZeroMemory(plainBytes);
        return new ProtectedSecret(output, _currentKeyId);
    }

    /// <exception cref="CryptographicException">Unknown key id, or the ciphertext was altered or belongs to another account/field. The message carries no secret.</exception>
    public string Unprotect(ProtectedSecret secret, byte[] associatedData)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(associatedData);
        if (!_keys.TryGetValue(secret.KeyId, out var key))
        {
            throw new CryptographicException(
                $"No credentials key with id '{secret.KeyId}' is configured; add it under {CredentialsOptions.SectionName}:PreviousKeys.");
        }
        var data = secret.Ciphertext;
        if (data.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The stored credential ciphertext is too short.");
        }
        var cipherLength = data.Length - NonceSize - TagSize;
        var plainBytes = new byte[cipherLength];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, cipherLength), data.AsSpan(NonceSize + cipherLength), plainBytes, associatedData);
        }
        return Encoding.UTF8.GetString(plainBytes);
    }

    /// <summary>True when the secret was sealed with a retired key and should be re-encrypted.</summary>
    public bool NeedsRotation(ProtectedSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return !string.Equals(secret.KeyId, _currentKeyId, StringComparison.Ordinal);
    }

    /// <summary>A fresh random key, base64, for <c>Credentials:EncryptionKey</c>.</summary>
    public static string GenerateKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(CredentialsOptions.KeySizeBytes));

    private static byte[] Decode(string base64) =>
        CredentialsOptions.TryDecodeKey(base64, out var key) ? key : throw new InvalidOperationException("Invalid credentials key.");
}
