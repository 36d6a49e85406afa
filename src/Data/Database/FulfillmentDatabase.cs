namespace FlashFundX.Data.Database;

/// <summary>The configured connection string, kept for the migrator (the data source hides the password).</summary>
public sealed record FulfillmentDatabase(string ConnectionString)
{
    public override string ToString() => "FulfillmentDatabase { ConnectionString = *** }";
}
