namespace CoreConsole.FleetSimulator;

/// <summary>Splits "MacBookPro14,1,iMac18,3" into ["MacBookPro14,1", "iMac18,3"]: a model identifier is letters, digits, comma, digits.</summary>
internal static class ModelList
{
    public static IReadOnlyList<string> Parse(string text)
    {
        var models = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (models.Count > 0 && part.All(char.IsDigit) && !models[^1].Contains(',')) models[^1] += "," + part;
            else models.Add(part);
        }
        return models.Count > 0 ? models : ["MacBookPro14,1"];
    }
}
