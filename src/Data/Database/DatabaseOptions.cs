namespace FlashFundX.Data.Database;

/// <summary>Section <c>Database</c>. The connection string itself is <c>ConnectionStrings:FlashFundX</c> (<see cref="DatabaseConnection"/>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply <c>sql/</c> when the process starts. Off by default: deploy pipelines run the <c>migrate</c> verb first.</summary>
    public bool MigrateOnStart { get; set; }
}
