using System.ComponentModel.DataAnnotations;

namespace FlashFundX.ServiceDefaults.Configuration;

/// <summary>
/// Where the Temporal cluster is. <c>TEMPORAL_ADDRESS</c>, <c>TEMPORAL_NAMESPACE</c>, <c>TEMPORAL_API_KEY</c> and
/// <c>TEMPORAL_TASK_QUEUE</c> override the section, matching the names Temporal's own tools use.
/// </summary>
public sealed class TemporalSettings
{
    public const string SectionName = "Temporal";

    [Required(ErrorMessage = "Temporal:Address (or TEMPORAL_ADDRESS) is required, e.g. localhost:7233.")]
    public string Address { get; set; } = "";

    [Required]
    public string Namespace { get; set; } = "default";

    [Required]
    public string TaskQueue { get; set; } = "flashfundx-orders";

    /// <summary>Temporal Cloud API key; implies TLS.</summary>
    public string? ApiKey { get; set; }

    public bool Tls { get; set; }

    /// <summary>PEM files for mutual TLS against a self-hosted cluster or Temporal Cloud with certificates.</summary>
    public string? ClientCertPath { get; set; }

    public string? ClientKeyPath { get; set; }

    public TemporalCompression Compression { get; set; }

    /// <summary>0 keeps the SDK default. See <see cref="Hosting.WorkerConcurrency"/> for these three.</summary>
    [Range(0, 100_000)]
    public int MaxConcurrentActivities { get; set; }

    /// <summary>0: six per core (at least 8).</summary>
    [Range(0, 100_000)]
    public int MaxConcurrentWorkflowTasks { get; set; }

    /// <summary>0: six per core (at least 8).</summary>
    [Range(0, 100_000)]
    public int MaxConcurrentLocalActivities { get; set; }

    public override string ToString() => $"{Address}/{Namespace} queue {TaskQueue}";
}
