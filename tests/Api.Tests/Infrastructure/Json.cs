using System.Net.Http.Json;
using System.Text.Json;

namespace FlashFundX.Api.Tests.Infrastructure;

public static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static HttpContent Raw(string json, string contentType = "application/json") =>
        new StringContent(json, System.Text.Encoding.UTF8, contentType);

    public static HttpContent Of(object value) => JsonContent.Create(value);
}
