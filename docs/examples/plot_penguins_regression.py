"""
Regression on a real table: penguins
====================================

Predict a penguin's body mass from its species, island, sex and measurements (the Palmer
penguins table, 344 birds). The table has text columns and missing values, so a
scikit-learn pipeline fills the gaps and encodes the categories in front of
:class:`glassnet.MLPRegressor`. Needs scikit-learn, pandas and ``palmerpenguins``.
"""

import matplotlib.pyplot as plt
import numpy as np
from palmerpenguins import load_penguins
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import glassnet

table = load_penguins()
print(table.head())
print("missing values per column:\n", table.isna().sum())

# %%
# The target is the body mass in kilograms; the two birds without one are dropped. Every
# other column is an input, missing values included.

table = table.dropna(subset=["body_mass_g"])
y = table["body_mass_g"].to_numpy() / 1000.0  # (342,) kg
X = table.drop(columns=["body_mass_g"])
categorical = ["species", "island", "sex"]
numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "year"]

prepare = ColumnTransformer([
    ("categories", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                 OneHotEncoder(handle_unknown="ignore")), categorical),
    ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
])  # fmt: skip
model = make_pipeline(
    prepare,
    glassnet.MLPRegressor(hidden_layer_sizes=(32,), learning_rate_init=0.01, max_iter=300,
                          random_state=0),
)  # fmt: skip
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
model.fit(X_train, y_train)
error = model.predict(X_test).ravel() - y_test
print(f"R^2 on the test birds: {model.score(X_test, y_test):.3f}")
print(f"mean absolute error: {np.abs(error).mean() * 1000:.0f} g")

# %%
# Predicted against measured mass for the test birds: points on the diagonal are
# perfect predictions.

fig, ax = plt.subplots(figsize=(5, 5))
ax.scatter(y_test, model.predict(X_test).ravel(), s=14)
lims = [y.min(), y.max()]
ax.plot(lims, lims, color="grey", linewidth=1)
ax.set(xlabel="measured mass (kg)", ylabel="predicted mass (kg)", title="Test birds")
