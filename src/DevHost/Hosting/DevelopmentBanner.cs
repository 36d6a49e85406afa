using System.Text;
using FlashFundX.Api.Auth;
using FlashFundX.DevHost.Auth;
using Microsoft.Extensions.Options;

namespace FlashFundX.DevHost.Hosting;

/// <summary>What the run command prints once the service listens: where things are and how to try an order end to end.</summary>
internal sealed class DevelopmentBanner(DevelopmentEnvironment environment, IOptions<AuthOptions> auth, IConfiguration configuration)
{
    public string Render(string url)
    {
        var admin = DevTokens.Issue(auth.Value, DevTokens.DemoAdminId, "admin@localhost", admin: true);
        var user = DevTokens.Issue(auth.Value, DevTokens.DemoUserId, "trader@localhost");
        var pay = environment.SimulatorUrl is null
            ? "  (NowPayments is configured externally: pay through its sandbox)"
            : $"  curl -s -X POST {environment.SimulatorUrl}/simulator/orders/$ORDER/pay";
        var text = new StringBuilder()
            .AppendLine()
            .AppendLine("FlashFundX fulfillment is running (Development)")
            .AppendLine($"  API          {url}   (health: {url}/health/ready)")
            .AppendLine($"  Temporal     {configuration["Temporal:Address"]} ({environment.TemporalKind ?? "configured"})")
            .AppendLine($"  PostgreSQL   {(environment.PostgresFolder is null ? "configured connection string" : environment.PostgresFolder)}")
            .AppendLine($"  NowPayments  {environment.SimulatorUrl ?? configuration["NowPayments:BaseUrl"]}{(environment.SimulatorUrl is null ? "" : " (local simulator)")}")
            .AppendLine(environment.MailSink is { } mail
                ? $"  Mail         {mail.Address} (local sink): every e-mail lands in {mail.Folder}/*.eml"
                : $"  Mail         {configuration["Smtp:Host"]}:{configuration["Smtp:Port"]} (Smtp:Enabled={configuration["Smtp:Enabled"] ?? "false"})")
            .AppendLine()
            .AppendLine($"  export ADMIN_TOKEN={admin}")
            .AppendLine($"  export USER_TOKEN={user}")
            .AppendLine()
            .AppendLine("Try it:")
            .AppendLine($"  curl -s {url}/products   # the public catalogue: prices, rules, stock per platform")
            .AppendLine($"  ORDER=$(curl -s -X POST {url}/orders -H \"Authorization: Bearer $USER_TOKEN\" -H 'Content-Type: application/json' \\")
            .AppendLine("    -d '{\"accountType\":\"two_step\",\"accountSize\":10000,\"platform\":\"mt5\",\"payCurrency\":\"usdt_trc20\"}' | sed -E 's/.*\"orderId\":\"([^\"]+)\".*/\\1/')")
            .AppendLine(pay)
            .AppendLine($"  curl -s {url}/orders/$ORDER -H \"Authorization: Bearer $USER_TOKEN\"")
            .AppendLine($"  curl -sN {url}/orders/$ORDER/events -H \"Authorization: Bearer $USER_TOKEN\"   # live status (SSE)")
            .AppendLine($"  curl -sN {url}/orders/events -H \"Authorization: Bearer $USER_TOKEN\"   # all my orders, live (SSE)")
            .AppendLine($"  curl -s {url}/orders/$ORDER/account -H \"Authorization: Bearer $USER_TOKEN\"")
            .AppendLine($"  curl -s {url}/admin/inventory -H \"Authorization: Bearer $ADMIN_TOKEN\"")
            .AppendLine();
        return text.ToString();
    }
}
