namespace FlashFundX.Api.OpenApi;

/// <summary>
/// Section <c>ApiDocs</c>: whether the OpenAPI document (<c>/openapi/v1.json</c>) and the interactive reference
/// (<c>/docs</c>) are served. They describe every endpoint to anyone who asks, so a production host answers 404 unless
/// an operator turns them on.
/// </summary>
public sealed class ApiDocsOptions
{
    public const string SectionName = "ApiDocs";

    /// <summary>Unset (default): on in Development, off in every other environment.</summary>
    public bool? Enabled { get; set; }
}
