namespace FlashFundX.Api.Admin;

/// <summary>One page of an admin list, newest first: the page's <see cref="Items"/> and how many match in all.</summary>
public sealed record AdminPage<T>(IReadOnlyList<T> Items, long Total);
