"""lecturelib in a script: gradient descent on the course's data, then its cost curve.

Shown on the API page; ``tests/test_examples.py`` runs it.
"""

import lecturelib as ll

ll.use_style()  # the site's plotting style, with a font for the Chinese labels
history = ll.gradient_descent(ll.X_DATA, ll.Y_DATA, w0=1.0, lr=0.01, epochs=100)
print(history)  # History(epochs=100, updates=100, lr=0.01, ..., diverged=False)
ax = ll.plot_cost_history([history], labels=["梯度下降"])
ax.figure.savefig("cost.png")  # 图归调用者所有（不经过 pyplot）；在 Jupyter 里以 ax 结尾即可显示
