using Dapper;

namespace FlashFundX.Data.Database;

/// <summary>Maps snake_case columns to PascalCase members; process-wide, set once before the first query.</summary>
public static class DapperConventions
{
    private static int _applied;

    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 0)
        {
            DefaultTypeMap.MatchNamesWithUnderscores = true;
        }
    }
}
