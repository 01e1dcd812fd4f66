// The library's stages, seen through one import by the executable and the tests: the model, the
// configuration, the measurement, the renderers and the delivery (docs/architecture.md).
@_exported import ChargebackConfig
@_exported import ChargebackDeliver
@_exported import ChargebackMeasure
@_exported import ChargebackModel
@_exported import ChargebackNetwork
@_exported import ChargebackRender
