namespace FlashFundX.Api.Admin;

/// <summary>The filters of <c>GET /admin/audit</c>, checked; null matches every row. <see cref="To"/> is exclusive.</summary>
public sealed record AuditFilter(string? Action, Guid? ActorId, string? ActorEmail, string? OrderId, DateTimeOffset? From, DateTimeOffset? To);
