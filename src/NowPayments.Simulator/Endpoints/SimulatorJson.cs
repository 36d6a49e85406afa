using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FlashFundX.NowPayments.Simulator.Endpoints;

internal static class SimulatorJson
{
    public static JsonSerializerOptions NodeOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 with milliseconds and Z, as NowPayments writes dates.</summary>
    public static string Date(DateTimeOffset date) => date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
