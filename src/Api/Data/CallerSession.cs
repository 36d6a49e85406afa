using Dapper;
using Npgsql;

namespace FlashFundX.Api.Data;

/// <summary>
/// An open transaction running as <see cref="CallerScopedDatabase.ApiRole"/> for one caller, or as
/// <see cref="CallerScopedDatabase.SystemRole"/> for none (<see cref="UserId"/> empty). Run every statement through
/// <see cref="Command"/> (it carries the transaction); call <see cref="CommitAsync"/> after writes. Disposing without a
/// commit rolls back, which is all a read needs.
/// </summary>
public sealed class CallerSession : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    internal CallerSession(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, bool isAdmin)
    {
        _connection = connection;
        _transaction = transaction;
        UserId = userId;
        IsAdmin = isAdmin;
    }

    public Guid UserId { get; }

    /// <summary>Whether this session has admin rights (app.is_admin = 'true').</summary>
    public bool IsAdmin { get; }

    /// <summary>The connection, for Dapper's extension methods; always pass <see cref="Command"/> to them.</summary>
    public NpgsqlConnection Connection => _connection;

    /// <summary>The session's transaction, for a batch or command built by hand.</summary>
    public NpgsqlTransaction Transaction => _transaction;

    public CommandDefinition Command(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        new(sql, parameters, _transaction, cancellationToken: cancellationToken);

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
