using Dapper;
using Npgsql;

namespace FlashFundX.Api.Orders;

/// <summary>Feeds the waiting-for-inventory gauge from the database, so every process reports the same truth.</summary>
public static class WaitingInventoryCount
{
    private const string Sql = "SELECT count(*) FROM orders WHERE delivery_status = 'waiting_inventory'";

    public static async Task<long> ReadAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
