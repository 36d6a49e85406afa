using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Api.Orders;

/// <summary>Section <c>Orders</c>: how <c>POST /orders</c> behaves.</summary>
public sealed class OrderCreationOptions
{
    public const string SectionName = "Orders";

    /// <summary>
    /// How long <c>POST /orders</c> waits for the workflow to store the provider invoice, so the 201 can carry its URL.
    /// After that the order is returned without it and <c>GET /orders/{id}</c> shows the invoice once it exists.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10", ErrorMessage = "Orders:InvoiceWait must be between 0 and 10 seconds.")]
    public TimeSpan InvoiceWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While waiting, the order is read again when its change is announced (<c>order_events</c>), and at least this often
    /// in case an announcement was lost (e.g. while the LISTEN connection reconnects).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:10", ErrorMessage = "Orders:InvoiceRecheckInterval must be between 0.1 and 10 seconds.")]
    public TimeSpan InvoiceRecheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
