using Temporalio.Api.Common.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>
/// An upserted memo or search-attribute value that removes its key: no data, JSON <c>null</c>, or an empty JSON
/// list (kept for backwards compatibility), as Temporal merges such maps.
/// </summary>
internal static class NilPayload
{
    public static bool Is(Payload? payload) =>
        payload == null || payload.Data.IsEmpty || payload.Data.ToStringUtf8() is "null" or "[]";
}
