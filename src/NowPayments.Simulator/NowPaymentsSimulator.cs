using System.Net;
using FlashFundX.NowPayments.Simulator.Endpoints;
using FlashFundX.NowPayments.Simulator.Ipn;
using FlashFundX.NowPayments.Simulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlashFundX.NowPayments.Simulator;

/// <summary>
/// A local NowPayments: <c>POST /invoice</c>, <c>GET /payment/{id}</c> and <c>GET /status</c> with the provider's JSON
/// shapes, plus a control surface under <c>/simulator</c> that moves payments through statuses and sends signed IPNs.
/// Listens on 127.0.0.1 only. Start with <see cref="StartAsync"/>; everything the HTTP control surface does is also a method here.
/// </summary>
public sealed partial class NowPaymentsSimulator : IAsyncDisposable
{
    private static readonly string[] HappyPath =
    [
        NowPaymentsStatuses.Waiting, NowPaymentsStatuses.Confirming, NowPaymentsStatuses.Confirmed,
        NowPaymentsStatuses.Sending, NowPaymentsStatuses.Finished,
    ];

    private readonly WebApplication _app;
    private readonly HttpClient _ipnHttp;
    private readonly IpnSender _ipnSender;
    private readonly ILogger _logger;
    private int _disposed;

    private NowPaymentsSimulator(WebApplication app, SimulatorOptions options, ILogger logger)
    {
        _app = app;
        _logger = logger;
        Options = options;
        State = new SimulatorState(options.StateFile);
        _ipnHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _ipnSender = new IpnSender(_ipnHttp, options.IpnSecret, options.IpnTimeout, Time, logger);
        Faults = new FaultInjector(Time);
        Tokens = new AccessTokens(Time, options.TokenLifetime);
    }

    /// <summary>Root URL, e.g. <c>http://127.0.0.1:5090</c>; use it as <c>NowPayments:BaseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    internal SimulatorOptions Options { get; }

    internal SimulatorState State { get; }

    internal FaultInjector Faults { get; }

    internal AccessTokens Tokens { get; }

    internal TimeProvider Time { get; } = TimeProvider.System;

    public static async Task<NowPaymentsSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ApiKey);
        ArgumentException.ThrowIfNullOrEmpty(options.IpnSecret);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);

        // The empty builder reads no appsettings, environment or command line, so a host that starts us in-process
        // (the API's run command, a test) cannot leak its own URLs or settings into the simulator.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(NowPaymentsSimulator).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(options.LoggerFactory ?? NullLoggerFactory.Instance);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));

        var app = builder.Build();
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<NowPaymentsSimulator>();
        var simulator = new NowPaymentsSimulator(app, options, logger);
        ProviderEndpoints.Map(app, simulator);
        ControlEndpoints.Map(app, simulator);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseUrl = address.TrimEnd('/');
        simulator.LogStarted(simulator.BaseUrl);
        return simulator;
    }

    /// <summary>The newest invoice created for <paramref name="orderId"/>, or null.</summary>
    public SimulatedInvoice? GetInvoiceByOrderId(string orderId) => State.FindInvoiceByOrderId(orderId)?.ToSnapshot();

    public SimulatedInvoice? GetInvoice(string invoiceId) => State.FindInvoice(invoiceId)?.ToSnapshot();

    public SimulatedPayment? GetPayment(string paymentId)
    {
        var payment = State.FindPayment(paymentId);
        if (payment is null)
        {
            return null;
        }

        lock (State.Gate)
        {
            return payment.ToSnapshot();
        }
    }

    public IReadOnlyList<SimulatedInvoice> GetInvoices() => State.Invoices();

    /// <summary>Every provider call so far (oldest first), e.g. to see that polling happened.</summary>
    public IReadOnlyList<SimulatorApiCall> GetApiCalls() => State.ApiCalls();

    /// <summary>Every IPN POST so far (oldest first).</summary>
    public IReadOnlyList<IpnDeliveryResult> GetIpnDeliveries() => State.Deliveries();

    /// <summary>Waits until an invoice exists for <paramref name="orderId"/> (the workflow creates it asynchronously).</summary>
    /// <exception cref="TimeoutException">None appeared within <paramref name="timeout"/>.</exception>
    public async Task<SimulatedInvoice> WaitForInvoiceAsync(string orderId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Time.GetUtcNow() + timeout;
        while (true)
        {
            if (GetInvoiceByOrderId(orderId) is { } invoice)
            {
                return invoice;
            }

            if (Time.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"No invoice for order {orderId} within {timeout}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pays an invoice up to <paramref name="status"/>, sending an IPN per step.</summary>
    public Task<SimulatedPayment> PayInvoiceAsync(
        string invoiceId,
        string status = NowPaymentsStatuses.Finished,
        decimal? amountOverride = null,
        IpnDelivery? delivery = null,
        CancellationToken cancellationToken = default) =>
        PayInvoiceAsync(invoiceId, new PayInvoice { Status = status, AmountOverride = amountOverride, Delivery = delivery ?? IpnDelivery.Normal }, cancellationToken);

    /// <summary>Creates or continues a payment for the invoice and walks it to <see cref="PayInvoice.Status"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such invoice.</exception>
    /// <exception cref="ArgumentException">Unknown status or a negative duplicate count.</exception>
    public async Task<SimulatedPayment> PayInvoiceAsync(string invoiceId, PayInvoice request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = ValidateStatus(request.Status);
        ValidateDelivery(request.Delivery);
        var invoice = State.FindInvoice(invoiceId) ?? throw new KeyNotFoundException($"Invoice {invoiceId} does not exist.");

        PaymentState payment;
        var bodies = new List<(string Status, byte[] Body)>();
        lock (State.Gate)
        {
            var existing = request.NewPayment ? null : invoice.Payments.LastOrDefault();
            payment = existing ?? State.AddPayment(invoice, PayCurrencyFor(invoice, request.PayCurrency), Time.GetUtcNow());
            var steps = request.WalkStatuses ? StepsTo(target, existing?.Status) : [target];
            foreach (var step in steps)
            {
                Apply(payment, step, request.AmountOverride, request.PriceCurrencyOverride, request.ActuallyPaid);
                bodies.Add((step, IpnBodyWriter.Write(payment, step)));
            }
            State.Persist();
        }

        return await DeliverAsync(payment, invoice, bodies, request.Delivery, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves a payment straight to <paramref name="status"/>.</summary>
    public Task<SimulatedPayment> SetStatusAsync(
        string paymentId,
        string status,
        bool deliverIpn = true,
        int duplicates = 0,
        decimal? amountOverride = null,
        CancellationToken cancellationToken = default) =>
        SetStatusAsync(paymentId, new SetPaymentStatus(status) { AmountOverride = amountOverride, Delivery = new IpnDelivery(deliverIpn, duplicates) }, cancellationToken);

    /// <exception cref="KeyNotFoundException">No such payment.</exception>
    public async Task<SimulatedPayment> SetStatusAsync(string paymentId, SetPaymentStatus request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = ValidateStatus(request.Status);
        ValidateDelivery(request.Delivery);
        var payment = State.FindPayment(paymentId) ?? throw new KeyNotFoundException($"Payment {paymentId} does not exist.");

        byte[] body;
        lock (State.Gate)
        {
            Apply(payment, status, request.AmountOverride, request.PriceCurrencyOverride, request.ActuallyPaid);
            body = IpnBodyWriter.Write(payment, status);
            State.Persist();
        }

        return await DeliverAsync(payment, payment.Invoice, [(status, body)], request.Delivery, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an IPN claiming <paramref name="status"/> for the payment's current amounts without changing the payment,
    /// e.g. a stale <c>waiting</c> after <c>finished</c>.
    /// </summary>
    public async Task<IReadOnlyList<IpnDeliveryResult>> SendIpnAsync(string paymentId, string status, int duplicates = 0, CancellationToken cancellationToken = default)
    {
        var claimed = ValidateStatus(status);
        ValidateDelivery(new IpnDelivery(Duplicates: duplicates));
        var payment = State.FindPayment(paymentId) ?? throw new KeyNotFoundException($"Payment {paymentId} does not exist.");

        byte[] body;
        lock (State.Gate)
        {
            body = IpnBodyWriter.Write(payment, claimed);
        }

        var snapshot = await DeliverAsync(payment, payment.Invoice, [(claimed, body)], new IpnDelivery(Duplicates: duplicates), cancellationToken).ConfigureAwait(false);
        return snapshot.Deliveries;
    }

    /// <summary>Faults the provider endpoints (not the control surface); see <see cref="SimulatorFault"/>.</summary>
    public void InjectFaults(SimulatorFault fault) => Faults.Add(fault);

    public void ClearFaults() => Faults.Clear();

    /// <summary>Refuses every token <c>POST /auth</c> issued so far, as if they had expired.</summary>
    public void RevokeTokens() => Tokens.RevokeAll();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _ipnHttp.Dispose();
    }

    private async Task<SimulatedPayment> DeliverAsync(
        PaymentState payment,
        InvoiceState invoice,
        List<(string Status, byte[] Body)> bodies,
        IpnDelivery delivery,
        CancellationToken cancellationToken)
    {
        var results = new List<IpnDeliveryResult>();
        if (delivery.Deliver)
        {
            IEnumerable<(string Status, byte[] Body)> ordered = delivery.Reverse ? Enumerable.Reverse(bodies) : bodies;
            foreach (var (status, body) in ordered)
            {
                for (var copy = 0; copy <= delivery.Duplicates; copy++)
                {
                    var result = await _ipnSender.SendAsync(payment.IdText, status, invoice.IpnCallbackUrl, body, cancellationToken).ConfigureAwait(false);
                    State.RecordDelivery(result);
                    results.Add(result);
                }
            }
        }
        else
        {
            LogSuppressed(payment.IdText, bodies.Count);
        }

        lock (State.Gate)
        {
            return payment.ToSnapshot(results);
        }
    }

    private void Apply(PaymentState payment, string status, decimal? amountOverride, string? priceCurrencyOverride, decimal? actuallyPaid)
    {
        payment.Status = status;
        payment.PriceAmount = amountOverride ?? payment.PriceAmount;
        payment.PriceCurrency = priceCurrencyOverride ?? payment.PriceCurrency;
        payment.ActuallyPaid = status switch
        {
            NowPaymentsStatuses.Waiting => actuallyPaid ?? 0m,
            NowPaymentsStatuses.PartiallyPaid => actuallyPaid ?? decimal.Round(payment.PayAmount / 2, 8),
            NowPaymentsStatuses.Expired or NowPaymentsStatuses.Failed => actuallyPaid ?? payment.ActuallyPaid,
            NowPaymentsStatuses.Refunded => actuallyPaid ?? payment.ActuallyPaid,
            _ => actuallyPaid ?? payment.PayAmount,
        };
        var now = Time.GetUtcNow();
        // Keep updated_at strictly increasing so every step of a walk has a distinct body.
        payment.UpdatedAt = now > payment.UpdatedAt ? now : payment.UpdatedAt.AddMilliseconds(1);
    }

    private string PayCurrencyFor(InvoiceState invoice, string? requested)
    {
        var currency = requested ?? invoice.PayCurrency ?? Options.DefaultPayCurrency;
        return PayCurrencies.TryMap(currency, out var mapped) ? mapped : currency.ToLowerInvariant();
    }

    /// <summary>The statuses a payment passes through to reach <paramref name="target"/>, after <paramref name="current"/>.</summary>
    private static string[] StepsTo(string target, string? current)
    {
        var index = Array.IndexOf(HappyPath, target);
        string[] path = index >= 0
            ? HappyPath[..(index + 1)]
            : target == NowPaymentsStatuses.Refunded
                ? [.. HappyPath, target]
                : [NowPaymentsStatuses.Waiting, target];

        if (current is null)
        {
            return path;
        }

        var at = Array.IndexOf(path, current);
        var remaining = at >= 0 ? path[(at + 1)..] : path.Where(s => s != NowPaymentsStatuses.Waiting).ToArray();
        return remaining.Length > 0 ? remaining : [target];
    }

    private static string ValidateStatus(string? status)
    {
        var normalized = status?.Trim().ToLowerInvariant();
        return NowPaymentsStatuses.IsKnown(normalized)
            ? normalized!
            : throw new ArgumentException($"Unknown payment status '{status}'. Known: {string.Join(", ", NowPaymentsStatuses.All)}.", nameof(status));
    }

    private static void ValidateDelivery(IpnDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Duplicates is < 0 or > 100)
        {
            throw new ArgumentException("Duplicates must be between 0 and 100.", nameof(delivery));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "NowPayments simulator listening on {BaseUrl}")]
    private partial void LogStarted(string baseUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator suppressed {Count} IPN(s) for payment {PaymentId}")]
    private partial void LogSuppressed(string paymentId, int count);
}
