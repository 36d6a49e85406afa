namespace FlashFundX.Api.OpenApi;

/// <summary>Endpoint metadata: the request-body example of one endpoint.</summary>
public sealed record RequestExampleMetadata(object Example);
