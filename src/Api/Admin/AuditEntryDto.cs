using System.Text.Json;

namespace FlashFundX.Api.Admin;

/// <summary>One admin action: who (<see cref="ActorId"/>, their e-mail), what, on which target, with its recorded details.</summary>
public sealed record AuditEntryDto(
    long Id, string Action, Guid ActorId, string? ActorEmail, string? Target, JsonElement Details, DateTime CreatedAt);
