namespace FlashFundX.Data.Database;

/// <summary>A migration could not be applied; the message names the script and database.</summary>
public sealed class DatabaseMigrationException : Exception
{
    public DatabaseMigrationException()
    {
    }

    public DatabaseMigrationException(string message)
        : base(message)
    {
    }

    public DatabaseMigrationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
