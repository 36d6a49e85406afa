namespace FlashFundX.Api.Admin;

/// <summary>The <c>page</c> (1-based) and <c>pageSize</c> query of the admin lists, checked.</summary>
public readonly record struct AdminPaging(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 1_000_000;

    public int Limit => PageSize;

    public long Offset => (long)(Page - 1) * PageSize;

    /// <summary>The paging asked for, or the defaults; adds an error per bad field to <paramref name="errors"/>.</summary>
    public static AdminPaging Read(int? page, int? pageSize, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (page is < 1 or > MaxPage)
        {
            errors["page"] = [$"page must be between 1 and {MaxPage}."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }
        return new AdminPaging(page ?? 1, pageSize ?? DefaultPageSize);
    }
}
