using System.ComponentModel.DataAnnotations;
using FlashFundX.Workflows.Contracts;

namespace FlashFundX.ServiceDefaults.Configuration;

/// <summary>Business timing of the fulfillment workflow (section <c>Fulfillment</c>), handed to each new workflow in its input.</summary>
public sealed class FulfillmentOptions
{
    public const string SectionName = "Fulfillment";

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Fulfillment:PaymentTimeout must be between 1 second and 30 days.")]
    public TimeSpan PaymentTimeout { get; set; } = TimeSpan.FromHours(24);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Fulfillment:PollInitialInterval must be between 1 second and 1 day.")]
    public TimeSpan PollInitialInterval { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Fulfillment:PollMaxInterval must be between 1 second and 1 day.")]
    public TimeSpan PollMaxInterval { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Fulfillment:InvoiceLookupInitialInterval must be between 1 second and 1 day.")]
    public TimeSpan InvoiceLookupInitialInterval { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Fulfillment:InvoiceLookupMaxInterval must be between 1 second and 1 day.")]
    public TimeSpan InvoiceLookupMaxInterval { get; set; } = TimeSpan.FromHours(2);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Fulfillment:InventoryRecheckInterval must be between 1 second and 1 day.")]
    public TimeSpan InventoryRecheckInterval { get; set; } = TimeSpan.FromMinutes(10);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Fulfillment:PaymentCheckInterval must be between 0 and 1 hour.")]
    public TimeSpan PaymentCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    [MinLength(1, ErrorMessage = "Fulfillment:PaidStatuses needs at least one status.")]
    public string[] PaidStatuses { get; set; } = ["confirmed", "sending", "finished"];

    public FulfillmentSettings ToSettings() => new()
    {
        PaymentTimeout = PaymentTimeout,
        PollInitialInterval = PollInitialInterval,
        PollMaxInterval = PollMaxInterval,
        InvoiceLookupInitialInterval = InvoiceLookupInitialInterval,
        InvoiceLookupMaxInterval = InvoiceLookupMaxInterval,
        InventoryRecheckInterval = InventoryRecheckInterval,
        PaymentCheckInterval = PaymentCheckInterval,
        PaidStatuses = PaidStatuses,
    };
}
