using Microsoft.Extensions.Logging;

namespace FlashFundX.NowPayments.Simulator;

/// <summary>How to start a <see cref="NowPaymentsSimulator"/>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one (read it back from <see cref="NowPaymentsSimulator.BaseUrl"/>).</summary>
    public int Port { get; set; }

    /// <summary>The <c>x-api-key</c> the provider endpoints accept.</summary>
    public required string ApiKey { get; set; }

    /// <summary>The secret IPNs are signed with.</summary>
    public required string IpnSecret { get; set; }

    /// <summary>The account login <c>POST /auth</c> accepts, with <see cref="AccountPassword"/>; unset, every login is refused.</summary>
    public string? AccountEmail { get; set; }

    public string? AccountPassword { get; set; }

    /// <summary>How long a token from <c>POST /auth</c> is accepted (NowPayments: five minutes).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Pay currency of a payment when neither the invoice nor the pay call names one.</summary>
    public string DefaultPayCurrency { get; set; } = "usdttrc20";

    /// <summary>How long one IPN POST may take before it is recorded as failed.</summary>
    public TimeSpan IpnTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A JSON file holding the invoices and payments, so they outlive the process (even a killed one): read at start when
    /// it exists, rewritten after every change. Null keeps them in memory only.
    /// </summary>
    public string? StateFile { get; set; }

    /// <summary>Logs go here; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Never prints the API key, the IPN secret or the account password.</summary>
    public override string ToString() => $"SimulatorOptions {{ Port = {Port}, ApiKey = ***, IpnSecret = ***, AccountEmail = {AccountEmail ?? "(unset)"}, AccountPassword = *** }}";
}
