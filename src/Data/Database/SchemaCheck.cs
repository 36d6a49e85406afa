namespace FlashFundX.Data.Database;

/// <summary>
/// How a database's migration journal compares with the scripts this build carries: <see cref="Pending"/> scripts the
/// build has and the database has not applied, <see cref="Unknown"/> scripts the database applied that the build does
/// not have (a database from a newer release). Current when both are empty.
/// </summary>
public sealed record SchemaCheck(int Applied, IReadOnlyList<string> Pending, IReadOnlyList<string> Unknown)
{
    public bool IsCurrent => Pending.Count == 0 && Unknown.Count == 0;

    public string Describe() => IsCurrent
        ? $"the schema matches this build ({Applied} migrations applied)"
        : string.Join("; ", new[]
            {
                Pending.Count > 0 ? "not applied: " + string.Join(", ", Pending) : null,
                Unknown.Count > 0 ? "applied but unknown to this build: " + string.Join(", ", Unknown) : null,
            }.OfType<string>());
}
