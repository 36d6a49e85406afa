using System.Text.Json;

namespace FlashFundX.TestSupport.Service.Streams;

/// <summary>One block of a text/event-stream: an event (id + data) or a comment line.</summary>
public sealed record SseMessage(string? Id, string? Data, string? Comment)
{
    public bool IsEvent => Data is not null;

    public long EventId => long.Parse(Id!, System.Globalization.CultureInfo.InvariantCulture);

    public JsonElement Json => JsonDocument.Parse(Data!).RootElement.Clone();

    public string Field(string name) => Json.GetProperty(name).GetString()!;
}
