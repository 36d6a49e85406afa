using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Data.Credentials;

/// <summary>
/// Configuration section <c>Credentials</c>: the AES-256-GCM key that encrypts trading-account passwords at rest.
/// <c>EncryptionKey</c> is base64 of 32 random bytes (e.g. <c>openssl rand -base64 32</c>); <c>KeyId</c> names it in every
/// row it encrypts. To rotate, move the old key into <c>PreviousKeys:{oldKeyId}</c> and set a new key and id.
/// </summary>
public sealed class CredentialsOptions : IValidatableObject
{
    public const string SectionName = "Credentials";
    public const int KeySizeBytes = 32;

    public string EncryptionKey { get; set; } = "";

    public string KeyId { get; set; } = "";

    /// <summary>Retired keys still needed to read older rows: key id → base64 key.</summary>
    public Dictionary<string, string> PreviousKeys { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsValidKey(EncryptionKey))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(EncryptionKey)} must be set to base64 of {KeySizeBytes} random bytes (AES-256), e.g. the output of 'openssl rand -base64 32'.",
                [nameof(EncryptionKey)]);
        }
        if (string.IsNullOrWhiteSpace(KeyId) || KeyId.Length > 64)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(KeyId)} must be set (1–64 characters) to name the current encryption key.", [nameof(KeyId)]);
        }
        foreach (var (keyId, key) in PreviousKeys)
        {
            if (!IsValidKey(key))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(PreviousKeys)}:{keyId} must be base64 of {KeySizeBytes} bytes.", [nameof(PreviousKeys)]);
            }
            if (string.Equals(keyId, KeyId, StringComparison.Ordinal) && !string.Equals(key, EncryptionKey, StringComparison.Ordinal))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(PreviousKeys)}:{keyId} reuses the current {nameof(KeyId)} with a different key.", [nameof(PreviousKeys)]);
            }
        }
    }

    /// <summary>Never prints key material.</summary>
    public override string ToString() =>
        $"CredentialsOptions {{ KeyId = {KeyId}, EncryptionKey = {(string.IsNullOrEmpty(EncryptionKey) ? "(unset)" : "***")}, PreviousKeys = [{string.Join(", ", PreviousKeys.Keys)}] }}";

    internal static bool TryDecodeKey(string? base64, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(base64))
        {
            return false;
        }
        var buffer = new byte[KeySizeBytes + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written != KeySizeBytes)
        {
            return false;
        }
        key = buffer[..KeySizeBytes];
        return true;
    }

    private static bool IsValidKey(string? base64) => TryDecodeKey(base64, out _);
}
