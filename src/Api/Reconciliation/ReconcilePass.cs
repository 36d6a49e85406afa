namespace FlashFundX.Api.Reconciliation;

/// <summary>What one reconciler pass did; <see cref="Ran"/> false when another process held the pass.</summary>
public sealed record ReconcilePass(bool Ran, int Checked, int Restarted, int Flagged);
