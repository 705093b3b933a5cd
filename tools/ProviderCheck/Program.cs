using SnipcartGateway.ProviderCheck;

// scripts/provider-check.sh snapplify|smartpay|jpmsmartpay: settings from the environment, as the app reads them.
return await ProviderCheckCommand.RunAsync(args, Console.Out, Console.In);
