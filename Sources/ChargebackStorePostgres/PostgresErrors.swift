import ChargebackCore
import Foundation
import PostgresNIO

/// Messages for postgres-nio's errors, which hide the server's words unless asked for them.
enum PostgresErrors {
    /// A ``StoreError`` thrown inside a transaction, unwrapped again.
    static func storeError(_ error: any Error) -> StoreError? {
        if let error = error as? StoreError { return error }
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError {
            return storeError(inner)
        }
        return nil
    }

    /// The server's message and SQLSTATE, or the connection's error.
    static func describe(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
                return describe(inner)
            }
        }
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let message = info[.message] {
                return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}
