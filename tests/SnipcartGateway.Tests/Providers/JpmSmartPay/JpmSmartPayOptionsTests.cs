using SnipcartGateway.Providers.JpmSmartPay;

namespace SnipcartGateway.Tests.Providers.JpmSmartPay;

public sealed class JpmSmartPayOptionsTests
{
    private static JpmSmartPayOptions Options(Action<JpmSmartPayModeOptions> test)
    {
        var options = new JpmSmartPayOptions { Enabled = true };
        options.Test.BaseUrl = "https://api.example.com";
        options.Test.MerchantKey = "mk";
        options.Test.WidgetScriptUrl = "https://sdk.example.com/smp-bundle.js";
        test(options.Test);
        return options;
    }

    [Fact]
    public void Basic_or_complete_oauth_configures_a_mode()
    {
        Assert.True(Options(m => m.AuthenticationKey = "ak").Test.IsConfigured);
        Assert.Empty(Options(m => m.AuthenticationKey = "ak").Problems("Providers__JpmSmartPay"));
        var oauth = Options(m => { m.TokenUrl = "https://auth.example.com/oauth2/token"; m.ClientId = "c"; m.ClientSecret = "s"; });
        Assert.True(oauth.Test.IsConfigured);
        Assert.True(oauth.Test.UsesOAuth);
        Assert.Empty(oauth.Problems("Providers__JpmSmartPay"));
        Assert.Equal(["EUR"], oauth.CurrencyList);
    }

    [Fact]
    public void Partial_oauth_and_missing_pieces_are_named()
    {
        var partial = Options(m => { m.ClientId = "c"; m.AuthenticationKey = "ak"; });
        Assert.False(partial.Test.IsConfigured);
        var problems = partial.Problems("Providers__JpmSmartPay").ToList();
        Assert.Contains(problems, p => p.StartsWith("Providers__JpmSmartPay__Test__TokenUrl is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Providers__JpmSmartPay__Test__ClientSecret is missing", StringComparison.Ordinal));

        var noScript = Options(m => { m.AuthenticationKey = "ak"; m.WidgetScriptUrl = null; });
        Assert.Contains(noScript.Problems("Providers__JpmSmartPay"), p => p.StartsWith("Providers__JpmSmartPay__Test__WidgetScriptUrl", StringComparison.Ordinal));

        var noAuth = Options(_ => { });
        Assert.Contains(noAuth.Problems("Providers__JpmSmartPay"), p => p.StartsWith("Providers__JpmSmartPay__Test__AuthenticationKey is missing", StringComparison.Ordinal));

        var halfNotifications = Options(m => m.AuthenticationKey = "ak");
        halfNotifications.Notifications.Username = "u";
        Assert.Contains(halfNotifications.Problems("Providers__JpmSmartPay"), p => p.StartsWith("Providers__JpmSmartPay__Notifications__Password is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Widget_origins_must_be_origins_and_the_stylesheet_an_http_url()
    {
        var good = Options(m => { m.AuthenticationKey = "ak"; m.WidgetOrigins = "https://api.example.com, https://pci.example.com:8443"; m.StylesheetUrl = "https://styles.example.com/smartpay-style.css"; });
        Assert.Empty(good.Problems("Providers__JpmSmartPay"));
        Assert.Equal([new Uri("https://api.example.com"), new Uri("https://pci.example.com:8443")], good.Test.ExtraWidgetOrigins);

        var bad = Options(m => { m.AuthenticationKey = "ak"; m.WidgetOrigins = "https://ok.example.com,'unsafe-inline',https://*.example.com,https://x.example.com/path"; m.StylesheetUrl = "styles.css"; });
        var problems = bad.Problems("Providers__JpmSmartPay").ToList();
        Assert.Equal(3, problems.Count(p => p.StartsWith("Providers__JpmSmartPay__Test__WidgetOrigins: ", StringComparison.Ordinal)));
        Assert.Contains(problems, p => p.StartsWith("Providers__JpmSmartPay__Test__StylesheetUrl must be", StringComparison.Ordinal));
    }
}
