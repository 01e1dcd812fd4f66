public enum ChargebackVersion { public static let string = "0.1.0" }
