using System.Text.Json.Serialization;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Inventory;

/// <summary>Where a stock account stands (account_container.status): only an available one is ever delivered.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<InventoryAccountStatus>))]
public enum InventoryAccountStatus
{
    Available,
    Delivered,
    Disabled,
}
