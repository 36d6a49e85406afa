using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Contracts;

/// <summary>
/// Send the order's <paramref name="Kind"/> e-mail. Only identifiers: the activity reads what the mail says from the
/// database, so no account data (let alone a password) travels through workflow history.
/// </summary>
public sealed record OrderEmailRequest(string OrderId, OrderEmailKind Kind);
