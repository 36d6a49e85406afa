namespace FlashFundX.Api.Temporal;

/// <summary>What the order's workflow made of an admin's mark-paid or refund.</summary>
public abstract record AdminToolResult
{
    private AdminToolResult()
    {
    }

    /// <summary>The workflow took it: the order's rows are written.</summary>
    public sealed record Done : AdminToolResult;

    /// <summary>The workflow refused it (validator or activity), saying why; nothing was written.</summary>
    public sealed record Refused(string Detail) : AdminToolResult;
}
