using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Api.Reconciliation;

/// <summary>Section <c>Reconciler</c>: how the API compares open orders with their workflows (<see cref="OrderReconciler"/>).</summary>
public sealed class ReconcilerOptions
{
    public const string SectionName = "Reconciler";

    /// <summary>Whether this process runs the reconciler (one pass at a time across all API processes either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Time between passes (the first runs at start). <c>/health/ready</c> reports the reconciler unhealthy when no pass
    /// completed for two intervals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Orders younger than this are left alone: <c>POST /orders</c> inserts the row a moment before it starts the
    /// workflow, and deletes it again should the start fail.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinOrderAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Open orders read per page (keyset paging by order id).</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>Workflows described at once.</summary>
    [Range(1, 100)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Upper bound on the DescribeWorkflowExecution calls a pass makes per second (Temporal's frontend rate limits).</summary>
    [Range(1, 10_000)]
    public int DescribesPerSecond { get; set; } = 50;
}
