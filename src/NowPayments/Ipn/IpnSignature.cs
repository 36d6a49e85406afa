using System.Security.Cryptography;
using System.Text;

namespace FlashFundX.NowPayments.Ipn;

/// <summary>
/// The <c>x-nowpayments-sig</c> header: hex HMAC-SHA512, keyed with the IPN secret, over the body re-serialised
/// with keys sorted recursively (see <see cref="IpnCanonicalJson"/>).
/// </summary>
public static class IpnSignature
{
    public const string HeaderName = "x-nowpayments-sig";

    private const int SignatureBytes = 64;

    /// <summary>Lowercase hex signature of <paramref name="body"/>.</summary>
    /// <exception cref="ArgumentException">The body is not JSON, or the secret is empty.</exception>
    public static string Compute(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (!IpnCanonicalJson.TryCanonicalize(body, out var canonical))
        {
            throw new ArgumentException("The IPN body is not valid JSON.", nameof(body));
        }

        return Convert.ToHexStringLower(Hash(canonical, secret));
    }

    /// <summary>
    /// True when <paramref name="signatureHex"/> (either case) is the signature of <paramref name="body"/>. False, never
    /// an exception, for a missing or malformed signature or a body that is not JSON. Compares in constant time.
    /// </summary>
    /// <exception cref="ArgumentException">The secret is empty (a configuration error, not a bad request).</exception>
    public static bool Verify(ReadOnlySpan<byte> body, string? signatureHex, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var trimmed = signatureHex?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length != SignatureBytes * 2)
        {
            return false;
        }

        var expected = new byte[SignatureBytes];
        if (Convert.FromHexString(trimmed, expected, out _, out var written) != System.Buffers.OperationStatus.Done || written != SignatureBytes)
        {
            return false;
        }

        if (!IpnCanonicalJson.TryCanonicalize(body, out var canonical))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Hash(canonical, secret), expected);
    }

    private static byte[] Hash(byte[] canonical, string secret) =>
        HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret), canonical);
}
