using Dapper;
using FlashFundX.Api.Data;

namespace FlashFundX.Api.Orders;

/// <summary>Feeds the waiting-for-inventory gauge from the database (as the API's system role), so every process reports the same truth.</summary>
public static class WaitingInventoryCount
{
    private const string Sql = "SELECT count(*) FROM orders WHERE delivery_status = 'waiting_inventory'";

    public static async Task<long> ReadAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var database = services.GetRequiredService<CallerScopedDatabase>();
        await using var session = await database.OpenSystemAsync(cancellationToken).ConfigureAwait(false);
        return await session.Connection.ExecuteScalarAsync<long>(session.Command(Sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
