using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Runs;
using Grpc.Core;
using Temporalio.Api.TestService.V1;

namespace FlashFundX.EmbeddedTemporal.Services;

/// <summary>temporal.api.testservice.v1.TestService: time-skipping locks and virtual sleeps.</summary>
internal sealed class TestServiceHandlers(ServerState server)
{
    private const string Service = "temporal.api.testservice.v1.TestService";

    public void Register(RpcHandlerRegistry registry)
    {
        registry.Add<LockTimeSkippingRequest, LockTimeSkippingResponse>(Service, "LockTimeSkipping", (_, _) =>
        {
            server.Clock.ClientLock();
            return new LockTimeSkippingResponse();
        });
        registry.Add<UnlockTimeSkippingRequest, UnlockTimeSkippingResponse>(Service, "UnlockTimeSkipping", (_, _) =>
        {
            Unlock();
            return new UnlockTimeSkippingResponse();
        });
        registry.Add<SleepRequest, SleepResponse>(Service, "Sleep", async (request, context) =>
        {
            await server.Clock.SleepAsync(request.Duration?.ToTimeSpan() ?? TimeSpan.Zero, context.CancellationToken).ConfigureAwait(false);
            return new SleepResponse();
        });
        registry.Add<SleepUntilRequest, SleepResponse>(Service, "SleepUntil", async (request, context) =>
        {
            var delay = (request.Timestamp?.ToDateTimeOffset() ?? server.Clock.Now) - server.Clock.Now;
            await server.Clock.SleepAsync(delay, context.CancellationToken).ConfigureAwait(false);
            return new SleepResponse();
        });
        registry.Add<SleepRequest, SleepResponse>(Service, "UnlockTimeSkippingWithSleep", async (request, context) =>
        {
            // The sleep's end is fixed before skipping is unlocked: scheduled after, it would count from wherever the
            // clock had already jumped to (the next due timer, possibly hours ahead).
            using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            var sleep = server.Clock.SleepAsync(request.Duration?.ToTimeSpan() ?? TimeSpan.Zero, abandoned.Token);
            try
            {
                Unlock();
            }
            catch
            {
                await abandoned.CancelAsync().ConfigureAwait(false);
                throw;
            }
            try
            {
                await sleep.ConfigureAwait(false);
            }
            finally
            {
                server.Clock.ClientLock();
            }
            return new SleepResponse();
        });
        registry.Add<Google.Protobuf.WellKnownTypes.Empty, GetCurrentTimeResponse>(Service, "GetCurrentTime", (_, _) =>
            new GetCurrentTimeResponse { Time = ProtoTime.ToTimestamp(server.Clock.Now) });
    }

    private void Unlock()
    {
        try
        {
            server.Clock.ClientUnlock();
        }
        catch (InvalidOperationException e)
        {
            throw RpcErrors.Create(StatusCode.FailedPrecondition, e.Message);
        }
    }
}
