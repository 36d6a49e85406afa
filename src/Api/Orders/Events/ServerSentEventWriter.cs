using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace FlashFundX.Api.Orders.Events;

/// <summary>Writes the <c>text/event-stream</c> format (one event per status, comment heartbeats) and flushes each.</summary>
internal sealed class ServerSentEventWriter(HttpResponse response)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(new OrderStatusEventDto(
            orderEvent.Id,
            orderEvent.OrderId,
            orderEvent.OrderStatus,
            orderEvent.PaymentStatus,
            orderEvent.DeliveryStatus,
            orderEvent.Stage,
            DateTime.SpecifyKind(orderEvent.CreatedAt, DateTimeKind.Utc)), Json);
        var text = string.Create(CultureInfo.InvariantCulture, $"id: {orderEvent.Id}\ndata: {data}\n\n");
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteHeartbeatAsync(CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Heartbeat, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
