using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace FlashFundX.NowPayments.Simulator.State;

/// <summary>The tokens <c>POST /auth</c> issued, each accepted until it expires or is revoked.</summary>
internal sealed class AccessTokens(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public string Issue()
    {
        // Shaped like a JWT (three dot-separated parts); nothing reads its content.
        var token = string.Join('.', Enumerable.Range(0, 3).Select(_ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
        _expiries[token] = time.GetUtcNow() + lifetime;
        return token;
    }

    public bool IsValid(string token) => _expiries.TryGetValue(token, out var expiry) && time.GetUtcNow() < expiry;

    public void RevokeAll() => _expiries.Clear();
}
