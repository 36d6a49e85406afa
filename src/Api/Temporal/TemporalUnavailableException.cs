namespace FlashFundX.Api.Temporal;

/// <summary>Temporal could not be reached (connection refused, unavailable, deadline exceeded); the API answers 503.</summary>
public sealed class TemporalUnavailableException : Exception
{
    public TemporalUnavailableException()
    {
    }

    public TemporalUnavailableException(string message)
        : base(message)
    {
    }

    public TemporalUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
