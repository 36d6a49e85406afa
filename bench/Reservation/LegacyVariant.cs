namespace FlashFundX.Bench.Reservation;

/// <summary>
/// Which copy of the legacy delivery function a path runs: the faithful one, or the same function with the least that
/// stops it handing an account out twice, to show what that fix alone costs. <c>Locked</c> locks the order row before
/// reading it (a concurrent call for the same order waits, then sees it delivered), takes the account with
/// <c>FOR UPDATE SKIP LOCKED</c>, and adds a unique key on delivered_accounts.order_id. It still has none of our
/// foreign keys, CHECK constraints, order events or unique account key. Each variant has its own schema and data.
/// </summary>
internal sealed record LegacyVariant(string Schema, bool Locked)
{
    public static LegacyVariant Faithful { get; } = new("legacy_bench", Locked: false);

    public static LegacyVariant WithLocks { get; } = new("legacy_locked", Locked: true);

    /// <summary>Legacy SQL written for <c>legacy_bench</c>, moved into this variant's schema.</summary>
    public string InSchema(string sql) => sql.Replace("legacy_bench.", Schema + ".", StringComparison.Ordinal)
        .Replace("SCHEMA IF NOT EXISTS legacy_bench", "SCHEMA IF NOT EXISTS " + Schema, StringComparison.Ordinal);
}
