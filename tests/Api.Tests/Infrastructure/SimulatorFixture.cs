using FlashFundX.NowPayments.Simulator;
using Xunit;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>The in-process NowPayments simulator that order workflows create their invoices with.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public const string ApiKey = "test-nowpayments-api-key-7b1f";
    public const string IpnSecret = "test-ipn-secret-5d2c9a61e0";
    public const string AccountEmail = "merchant@flashfundx.test";
    public const string AccountPassword = "test-account-password-3e8a07";

    private NowPaymentsSimulator? _simulator;

    public NowPaymentsSimulator Simulator => _simulator ?? throw new InvalidOperationException("Simulator not started.");

    public async Task InitializeAsync() =>
        _simulator = await NowPaymentsSimulator.StartAsync(new SimulatorOptions
        {
            ApiKey = ApiKey, IpnSecret = IpnSecret, Port = 0, AccountEmail = AccountEmail, AccountPassword = AccountPassword,
        });

    public async Task DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }
}
