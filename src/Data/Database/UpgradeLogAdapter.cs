using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace FlashFundX.Data.Database;

/// <summary>Routes DbUp's output to Microsoft.Extensions.Logging (and so to Serilog). DbUp uses string.Format templates.</summary>
internal sealed partial class UpgradeLogAdapter(ILogger logger) : IUpgradeLog
{
    public void LogTrace(string format, params object[] args) => Write(LogLevel.Trace, null, format, args);

    public void LogDebug(string format, params object[] args) => Write(LogLevel.Debug, null, format, args);

    public void LogInformation(string format, params object[] args) => Write(LogLevel.Information, null, format, args);

    public void LogWarning(string format, params object[] args) => Write(LogLevel.Warning, null, format, args);

    public void LogError(string format, params object[] args) => Write(LogLevel.Error, null, format, args);

    public void LogError(Exception ex, string format, params object[] args) => Write(LogLevel.Error, ex, format, args);

    private void Write(LogLevel level, Exception? exception, string format, object[] args)
    {
        if (!logger.IsEnabled(level))
        {
            return;
        }
        var message = args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
        LogDbUp(logger, level, exception, message);
    }

    [LoggerMessage(Message = "DbUp: {Message}")]
    private static partial void LogDbUp(ILogger logger, LogLevel level, Exception? exception, string message);
}
