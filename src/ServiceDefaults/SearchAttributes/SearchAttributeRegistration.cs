using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace FlashFundX.ServiceDefaults.SearchAttributes;

/// <summary>
/// At start, before any hosted worker polls (<see cref="IHostedLifecycleService.StartingAsync"/> runs ahead of every
/// <c>StartAsync</c>), registers the order search attributes the namespace lacks. On a real cluster a workflow that
/// upserts an unregistered attribute fails its workflow task until someone registers it, so doing it here saves
/// a manual step per environment. Failure is logged, not fatal: on Temporal Cloud the operator service may refuse
/// (attributes are added with <c>tcld</c> or the Cloud UI there) and the worker itself reports an unreachable server.
/// </summary>
internal sealed partial class SearchAttributeRegistration(
    ITemporalClient client,
    IReadOnlyList<SearchAttributeKey> keys,
    ILogger<SearchAttributeRegistration> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var names = string.Join(", ", keys.Select(k => $"{k.Name}={k.ValueType}"));
        try
        {
            var result = await SearchAttributeRegistrar.EnsureRegisteredAsync(client, keys, cancellationToken).ConfigureAwait(false);
            if (result.Added.Count > 0)
            {
                LogAdded(logger, string.Join(", ", result.Added), client.Options.Namespace);
            }
            if (result.WrongType.Count > 0)
            {
                LogWrongType(logger, string.Join(", ", result.WrongType), client.Options.Namespace, names);
            }
        }
        catch (RpcException e)
        {
            LogFailed(logger, e, client.Options.Namespace, e.Code, names);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered search attributes {SearchAttributes} on namespace {Namespace}")]
    private static partial void LogAdded(ILogger logger, string searchAttributes, string @namespace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Search attributes {SearchAttributes} exist on namespace {Namespace} with another type; expected {Expected}. Workflows upserting them will fail their tasks")]
    private static partial void LogWrongType(ILogger logger, string searchAttributes, string @namespace, string expected);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not check/register search attributes on namespace {Namespace} ({Code}); register {Expected} by hand (temporal operator search-attribute create, or tcld on Temporal Cloud)")]
    private static partial void LogFailed(ILogger logger, Exception exception, string @namespace, RpcException.StatusCode code, string expected);
}
