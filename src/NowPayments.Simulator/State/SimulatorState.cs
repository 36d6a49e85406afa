using System.Globalization;

namespace FlashFundX.NowPayments.Simulator.State;

/// <summary>
/// All invoices and payments; every access goes through one lock. With a state file they are loaded from it at start
/// and written to it after every change, before the change is answered or an IPN tells of it.
/// </summary>
internal sealed class SimulatorState
{
    private const int MaxApiCalls = 10_000;

    // Crypto per 1 USD-priced unit, roughly; only there to make pay_amount look plausible.
    private static readonly Dictionary<string, decimal> UsdPerCoin = new(StringComparer.OrdinalIgnoreCase)
    {
        ["btc"] = 60000m,
        ["bnbbsc"] = 600m,
        ["trx"] = 0.12m,
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<long, InvoiceState> _invoices = [];
    private readonly Dictionary<long, PaymentState> _payments = [];
    private readonly List<SimulatorApiCall> _apiCalls = [];
    private readonly List<IpnDeliveryResult> _deliveries = [];
    private long _nextInvoiceId = 4_000_000_000 + (Random.Shared.NextInt64(0, 900_000) * 1000);
    private long _nextPaymentId = 5_000_000_000 + (Random.Shared.NextInt64(0, 900_000) * 1000);
    private readonly string? _stateFile;

    public SimulatorState(string? stateFile = null)
    {
        _stateFile = stateFile;
        if (stateFile is null || SimulatorStateFile.Load(stateFile) is not { } stored)
        {
            return;
        }
        _nextInvoiceId = stored.LastInvoiceId;
        _nextPaymentId = stored.LastPaymentId;
        foreach (var invoice in stored.Invoices)
        {
            _invoices.Add(invoice.Id, invoice);
        }
        // Oldest first, as they were added: an invoice's first payment is the parent of its repeats.
        foreach (var payment in stored.Payments.OrderBy(p => p.Id).Select(p => PaymentState.FromStored(p, _invoices[p.InvoiceId])))
        {
            payment.Invoice.Payments.Add(payment);
            _payments.Add(payment.Id, payment);
        }
    }

    public Lock Gate => _gate;

    /// <summary>Writes the invoices and payments to the state file, if there is one; call after changing them.</summary>
    public void Persist()
    {
        if (_stateFile is null)
        {
            return;
        }
        lock (_gate)
        {
            var invoices = _invoices.Values.OrderBy(i => i.Id).ToArray();
            var payments = _payments.Values.OrderBy(p => p.Id).Select(p => p.ToStored()).ToArray();
            SimulatorStateFile.Save(_stateFile, new StoredSimulatorState(_nextInvoiceId, _nextPaymentId, invoices, payments));
        }
    }

    public InvoiceState AddInvoice(Func<long, InvoiceState> create)
    {
        lock (_gate)
        {
            var invoice = create(++_nextInvoiceId);
            _invoices.Add(invoice.Id, invoice);
            Persist();
            return invoice;
        }
    }

    public PaymentState AddPayment(InvoiceState invoice, string payCurrency, DateTimeOffset now)
    {
        lock (_gate)
        {
            var id = ++_nextPaymentId;
            var payAmount = UsdPerCoin.TryGetValue(payCurrency, out var rate)
                ? decimal.Round(invoice.PriceAmount / rate, 8)
                : invoice.PriceAmount;
            var payment = new PaymentState
            {
                Id = id,
                Invoice = invoice,
                ParentPaymentId = invoice.Payments.Count > 0 ? invoice.Payments[0].Id : null,
                PayAddress = "SIM" + Convert.ToHexStringLower(BitConverter.GetBytes(id)),
                PurchaseId = (id + 7_000_000_000).ToString(CultureInfo.InvariantCulture),
                PayCurrency = payCurrency,
                PayAmount = payAmount,
                PriceAmount = invoice.PriceAmount,
                PriceCurrency = invoice.PriceCurrency,
                CreatedAt = now,
                UpdatedAt = now,
            };
            invoice.Payments.Add(payment);
            _payments.Add(id, payment);
            return payment;
        }
    }

    public InvoiceState? FindInvoice(string invoiceId)
    {
        lock (_gate)
        {
            return long.TryParse(invoiceId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? _invoices.GetValueOrDefault(id) : null;
        }
    }

    public InvoiceState? FindInvoiceByOrderId(string orderId)
    {
        lock (_gate)
        {
            // The newest invoice wins if an order was invoiced twice.
            return _invoices.Values.Where(i => i.OrderId == orderId).MaxBy(i => i.Id);
        }
    }

    public PaymentState? FindPayment(string paymentId)
    {
        lock (_gate)
        {
            return long.TryParse(paymentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? _payments.GetValueOrDefault(id) : null;
        }
    }

    /// <summary>The payments of one invoice, or of all when <paramref name="invoiceId"/> is null, oldest first; read them under <see cref="Gate"/>.</summary>
    public IReadOnlyList<PaymentState> Payments(string? invoiceId)
    {
        lock (_gate)
        {
            IEnumerable<PaymentState> payments = invoiceId is null ? _payments.Values : FindInvoice(invoiceId)?.Payments ?? [];
            return payments.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToArray();
        }
    }

    public IReadOnlyList<SimulatedInvoice> Invoices()
    {
        lock (_gate)
        {
            return _invoices.Values.OrderBy(i => i.Id).Select(i => i.ToSnapshot()).ToArray();
        }
    }

    public void RecordApiCall(SimulatorApiCall call)
    {
        lock (_gate)
        {
            if (_apiCalls.Count >= MaxApiCalls)
            {
                _apiCalls.RemoveAt(0);
            }

            _apiCalls.Add(call);
        }
    }

    public IReadOnlyList<SimulatorApiCall> ApiCalls()
    {
        lock (_gate)
        {
            return _apiCalls.ToArray();
        }
    }

    public void RecordDelivery(IpnDeliveryResult delivery)
    {
        lock (_gate)
        {
            _deliveries.Add(delivery);
        }
    }

    public IReadOnlyList<IpnDeliveryResult> Deliveries()
    {
        lock (_gate)
        {
            return _deliveries.ToArray();
        }
    }
}
