"""Neural networks for tabular data, written in numpy: layers, losses, optimizers and training.

Every module here needs numpy alone, except ``nn.estimators``: the scikit-learn compatible
MLP / ResNet estimators and their ``save`` / ``load``, imported from there by name
(``from nn.estimators import MLPClassifier``) so that importing ``nn`` never pulls in scikit-learn.
"""
