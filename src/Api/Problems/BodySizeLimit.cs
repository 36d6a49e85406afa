namespace FlashFundX.Api.Problems;

/// <summary>
/// Endpoint metadata: the largest request body the endpoint reads. Null means the endpoint enforces its own limit
/// (the webhook records oversized deliveries before answering 413).
/// </summary>
public sealed record BodySizeLimit(long? MaxBytes)
{
    /// <summary>Applied to endpoints without their own metadata; orders and cancellations are a few hundred bytes.</summary>
    public const long DefaultBytes = 64 * 1024;
}

public static class BodySizeLimitExtensions
{
    public static TBuilder WithBodySizeLimit<TBuilder>(this TBuilder builder, long? maxBytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodySizeLimit(maxBytes));
}
