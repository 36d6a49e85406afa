using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Data.Database;

/// <summary><c>ConnectionStrings:FlashFundX</c>, validated at start like every other setting.</summary>
public sealed class DatabaseConnection
{
    public const string Name = "FlashFundX";
    public const string SettingKey = "ConnectionStrings:" + Name;

    [Required(ErrorMessage = SettingKey + " (env ConnectionStrings__" + Name + ") is required: the PostgreSQL connection string.")]
    public string ConnectionString { get; set; } = "";

    public override string ToString() => $"DatabaseConnection {{ ConnectionString = {(string.IsNullOrEmpty(ConnectionString) ? "(unset)" : "***")} }}";
}
