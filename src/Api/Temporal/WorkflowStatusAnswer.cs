using FlashFundX.Workflows.Contracts;

namespace FlashFundX.Api.Temporal;

/// <summary>The order's <c>GetStatus</c> query answer, or null and why there is none (run closed or missing, Temporal unavailable).</summary>
public sealed record WorkflowStatusAnswer(OrderProgress? Status, string? Unavailable);
