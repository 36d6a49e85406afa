using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlashFundX.NowPayments.Simulator.State;

/// <summary>
/// The invoices and payments of a simulator kept in one JSON file, rewritten whole after every change: written to a
/// temporary file beside it, flushed to disk, then renamed over it, so a process killed at any moment leaves either
/// the previous content or the new one.
/// </summary>
internal static class SimulatorStateFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>What the file holds, or null when it does not exist.</summary>
    /// <exception cref="InvalidOperationException">The file exists but cannot be read as a simulator's state.</exception>
    public static StoredSimulatorState? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var stream = File.OpenRead(path);
            var state = JsonSerializer.Deserialize<StoredSimulatorState>(stream, Json);
            // Written by another version of the simulator, or by hand.
            return state is { Invoices: not null, Payments: not null } ? state : throw new JsonException("no invoices or payments");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException(
                $"The NowPayments simulator's state file {path} is not readable ({e.Message}); delete it to start with no invoices.", e);
        }
    }

    public static void Save(string path, StoredSimulatorState state)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, state, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>The invoices as they are held, and their payments apart (each names its invoice).</summary>
internal sealed record StoredSimulatorState(
    long LastInvoiceId, long LastPaymentId, IReadOnlyList<InvoiceState> Invoices, IReadOnlyList<StoredPayment> Payments);

internal sealed record StoredPayment(
    long Id,
    long InvoiceId,
    long? ParentPaymentId,
    string PayAddress,
    string PurchaseId,
    string PayCurrency,
    decimal PayAmount,
    DateTimeOffset CreatedAt,
    string Status,
    decimal PriceAmount,
    string PriceCurrency,
    decimal ActuallyPaid,
    DateTimeOffset UpdatedAt);
