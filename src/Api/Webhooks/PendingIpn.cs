using FlashFundX.Workflows.Contracts;

namespace FlashFundX.Api.Webhooks;

/// <summary>A stored, accepted IPN (webhook_events row <paramref name="EventId"/>) waiting to be signalled to its order's workflow.</summary>
public sealed record PendingIpn(long EventId, string OrderId, PaymentUpdate Update);
