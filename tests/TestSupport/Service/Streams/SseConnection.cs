using System.Net.Http.Headers;

namespace FlashFundX.TestSupport.Service;

/// <summary>A client's open event stream (<c>GET /orders/{id}/events</c>, <c>GET /orders/events</c>), read block by block as it arrives.</summary>
public sealed class SseConnection : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader? _reader;

    private SseConnection(HttpResponseMessage response, StreamReader? reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the order's stream and returns once the response headers arrived (any status).</summary>
    public static Task<SseConnection> OpenAsync(
        HttpClient http, string token, string orderId, long? lastEventId = null, CancellationToken cancellationToken = default) =>
        OpenPathAsync(http, token, $"orders/{orderId}/events", lastEventId, cancellationToken);

    /// <summary>Opens <c>GET /orders/events</c> (all the caller's orders; <paramref name="token"/> null: anonymous).</summary>
    public static Task<SseConnection> OpenMineAsync(
        HttpClient http, string? token, string? lastEventId = null, CancellationToken cancellationToken = default) =>
        OpenPathAsync(http, token, "orders/events", lastEventId, cancellationToken);

    private static Task<SseConnection> OpenPathAsync(
        HttpClient http, string? token, string path, long? lastEventId, CancellationToken cancellationToken) =>
        OpenPathAsync(http, token, path, lastEventId?.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    private static async Task<SseConnection> OpenPathAsync(
        HttpClient http, string? token, string path, string? lastEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var reader = response.IsSuccessStatusCode
            ? new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken))
            : null;
        return new SseConnection(response, reader);
    }

    /// <summary>The next event or comment; null when the server ended the stream.</summary>
    public async Task<SseMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        var reader = _reader ?? throw new InvalidOperationException($"No stream: the server answered {(int)_response.StatusCode}.");
        string? id = null, data = null, comment = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }
            if (line.Length == 0)
            {
                if (id is not null || data is not null || comment is not null)
                {
                    return new SseMessage(id, data, comment);
                }
                continue;
            }
            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = line[3..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data = data is null ? line[5..].Trim() : data + "\n" + line[5..].Trim();
            }
        }
    }

    /// <summary>The next event, skipping heartbeats; null at the end of the stream.</summary>
    public async Task<SseMessage?> ReadEventAsync(CancellationToken cancellationToken)
    {
        while (await ReadAsync(cancellationToken) is { } message)
        {
            if (message.IsEvent)
            {
                return message;
            }
        }
        return null;
    }

    /// <summary>Every event until the server ends the stream (fails after <paramref name="timeout"/>).</summary>
    public async Task<IReadOnlyList<SseMessage>> ReadToEndAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var events = new List<SseMessage>();
        try
        {
            while (await ReadEventAsync(cancel.Token) is { } message)
            {
                events.Add(message);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"The stream did not end within {timeout}; events so far: {string.Join(", ", events.Select(e => e.Field("stage")))}");
        }
        return events;
    }

    /// <summary>
    /// Events as they arrive until <paramref name="done"/> holds for those read so far (fails after
    /// <paramref name="timeout"/> or when the stream ends first): for a stream that does not end on its own.
    /// </summary>
    public async Task<IReadOnlyList<SseMessage>> ReadUntilAsync(Func<IReadOnlyList<SseMessage>, bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(done);
        using var cancel = new CancellationTokenSource(timeout);
        var events = new List<SseMessage>();
        try
        {
            while (!done(events))
            {
                events.Add(await ReadEventAsync(cancel.Token)
                    ?? throw new InvalidOperationException($"The stream ended before {what}; events: {Describe(events)}"));
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"No {what} within {timeout}; events so far: {Describe(events)}");
        }
        return events;
    }

    private static string Describe(IEnumerable<SseMessage> events) =>
        string.Join(", ", events.Select(e => $"{e.Id} {e.Field("orderId")} {e.Field("stage")}/{e.Field("paymentStatus")}"));

    public ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
